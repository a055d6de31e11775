import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';

export const HOOK_TOKEN_AUTH = 'lakemirror:hook-token-auth';

/**
 * The route is authenticated by the hook token of the mirror in its `:mirror` parameter
 * (Authorization: Bearer), instead of lakeFS credentials; see BasicAuthGuard.
 */
export const HookTokenAuth = () => SetMetadata(HOOK_TOKEN_AUTH, true);

/** The mirror whose hook token authenticated the request. */
export const HookMirror = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const mirror = context.switchToHttp().getRequest().hookMirror;
  if (typeof mirror !== 'string') throw new Error('@HookMirror() on a route without @HookTokenAuth()');
  return mirror;
});
