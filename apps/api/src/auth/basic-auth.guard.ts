import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '@lakemirror/app-runtime';
import { HOOK_TOKEN_AUTH } from '../hooks/hook-token-auth.decorator';
import { HookAuthenticator } from '../hooks/hook-authenticator.service';
import { RequestAuthenticator } from './request-authenticator.service';

/**
 * HTTP basic authentication with the caller's lakeFS access key ID and secret, on every route not
 * marked public; routes marked @HookTokenAuth() take their mirror's hook token instead, and only it.
 */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    private readonly hooks: HookAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest();
    if (this.reflector.getAllAndOverride<boolean>(HOOK_TOKEN_AUTH, [context.getHandler(), context.getClass()])) {
      request.hookMirror = await this.hooks.mirrorOf(request, http.getResponse());
      return true;
    }
    request.caller = await this.authenticator.callerOf(request, http.getResponse());
    return true;
  }
}
