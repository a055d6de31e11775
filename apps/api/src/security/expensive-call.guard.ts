import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import type { Caller } from '../auth/caller';
import { ApiError } from '../common/api-errors';
import { EXPENSIVE } from './expensive.decorator';
import { FixedWindowCounter } from './fixed-window-counter';

/**
 * Limits each caller's calls to @Expensive() routes, all such routes together, to
 * LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE (in this process's memory); past it, 429 with Retry-After.
 * Registered after BasicAuthGuard, so the caller is known.
 */
@Injectable()
export class ExpensiveCallGuard implements CanActivate {
  private readonly calls: FixedWindowCounter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {
    this.calls = new FixedWindowCounter(settings.expensiveCallsPerMinute, 60_000);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.reflector.getAllAndOverride<boolean>(EXPENSIVE, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const caller: Caller | undefined = http.getRequest().caller;
    if (!caller) throw new Error(`${context.getClass().name}.${context.getHandler().name} is @Expensive() but not authenticated`);
    const { allowed, retryAfterSeconds } = this.calls.take(caller.userId);
    if (allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      `too many expensive calls (create, scan, status, retry) by ${caller.userId}: at most ${this.settings.expensiveCallsPerMinute} a minute; retry after ${retryAfterSeconds} s`,
    );
  }
}
