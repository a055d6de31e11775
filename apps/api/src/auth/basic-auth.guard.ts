import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '@lakemirror/app-runtime';
import { RequestAuthenticator } from './request-authenticator.service';

/** HTTP basic authentication with the caller's lakeFS access key ID and secret, on every route not marked public. */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest();
    request.caller = await this.authenticator.callerOf(request, http.getResponse());
    return true;
  }
}
