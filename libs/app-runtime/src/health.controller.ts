import { Controller, Get } from '@nestjs/common';

/** Liveness: the process is up and its event loop answers. Readiness checks come with each app's dependencies. */
@Controller('health')
export class LivenessController {
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
