import { ExecutionContext, createParamDecorator } from '@nestjs/common';

/** Who is calling: the lakeFS user behind the access key of the request. */
export interface Caller {
  userId: string;
  isAdmin: boolean;
}

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest().caller;
});
