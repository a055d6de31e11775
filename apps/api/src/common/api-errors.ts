import { HttpException, HttpStatus } from '@nestjs/common';

/** An API error whose status and message are for the caller, with optional per-field messages. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, message: string, errors?: Record<string, string>) {
    super(errors ? { message, errors } : { message }, status);
  }
}

export const badRequest = (message: string, errors?: Record<string, string>) => new ApiError(HttpStatus.BAD_REQUEST, message, errors);
export const notFound = (message: string) => new ApiError(HttpStatus.NOT_FOUND, message);
export const conflict = (message: string) => new ApiError(HttpStatus.CONFLICT, message);
export const forbidden = (message: string) => new ApiError(HttpStatus.FORBIDDEN, message);
export const badGateway = (message: string) => new ApiError(HttpStatus.BAD_GATEWAY, message);
