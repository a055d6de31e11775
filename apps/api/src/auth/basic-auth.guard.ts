import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import { IS_PUBLIC } from '@lakemirror/app-runtime';
import { LakefsAuthenticatorService } from './lakefs-authenticator.service';

const CHALLENGE = 'Basic realm="lakemirror", charset="UTF-8"';

function unauthorized(message: string): HttpException {
  const error = new HttpException({ message }, HttpStatus.UNAUTHORIZED);
  (error as HttpException & { challenge?: string }).challenge = CHALLENGE;
  return error;
}

/** HTTP basic authentication with the caller's lakeFS access key ID and secret, on every route not marked public. */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: LakefsAuthenticatorService,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest();
    const response = http.getResponse();
    const header: string | undefined = request.headers.authorization;
    response.setHeader('WWW-Authenticate', CHALLENGE);
    if (!header?.startsWith('Basic ')) throw unauthorized('authentication required: HTTP basic with your lakeFS access key ID and secret');
    const decoded = Buffer.from(header.slice(6), 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw unauthorized('malformed basic credentials');
    let userId: string | undefined;
    try {
      userId = await this.authenticator.userFor(decoded.slice(0, colon), decoded.slice(colon + 1));
    } catch {
      // lakeFS could not be asked: an outage, not a wrong password.
      throw new HttpException({ message: 'cannot verify credentials: the source lakeFS is unreachable; try again' }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    if (!userId) throw unauthorized('lakeFS did not accept these credentials');
    response.removeHeader('WWW-Authenticate');
    request.caller = { userId, isAdmin: this.settings.adminUsers.includes(userId) };
    return true;
  }
}
