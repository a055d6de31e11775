import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { clientAddress } from '../security/client-address';

/** Who is calling: the lakeFS user behind the access key of the request. */
export interface Caller {
  userId: string;
  isAdmin: boolean;
  /** The client's address (see clientAddress), which policy conditions on SourceIp are evaluated against. */
  sourceIp?: string;
}

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest();
  return { ...request.caller, sourceIp: clientAddress(request) };
});
