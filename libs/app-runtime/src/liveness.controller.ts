import { Controller, Get } from '@nestjs/common';
import { Public } from './public.decorator';

/** Liveness: the process is up and its event loop answers. Readiness checks come with each app's dependencies. */
@Controller('health')
export class LivenessController {
  @Public()
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
