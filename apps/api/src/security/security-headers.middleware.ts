import type { NextFunction, Request, RequestHandler, Response } from 'express';

// JSON and plain-text answers: nothing in them may load, run or be framed.
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// Bull Board and Swagger UI: their own scripts, inline styles, data: images; Bull Board's Google fonts.
const UI_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' https://fonts.gstatic.com data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The usual security headers on every answer: a Content-Security-Policy (the strict one, or the
 * one the HTML pages under `uiPaths` need), nosniff, no framing, no referrer, and no-store
 * (static assets set their own Cache-Control over it).
 */
export function securityHeaders(uiPaths: string[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const ui = uiPaths.some((path) => request.path === path || request.path.startsWith(`${path}/`));
    response.setHeader('Content-Security-Policy', ui ? UI_POLICY : API_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    next();
  };
}
