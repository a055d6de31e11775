import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

export const EXPENSIVE = 'lakemirror:expensive';

/**
 * Marks a route that costs lakeFS, object-store or database work (create, scan, status, retry):
 * its calls are limited per caller to LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE (ExpensiveCallGuard).
 */
export const Expensive = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(EXPENSIVE, true),
    ApiTooManyRequestsResponse({ description: 'Too many expensive calls by this user this minute (LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE); see Retry-After' }),
  );
