import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller } from '../auth/caller';
import { Expensive } from '../security/expensive.decorator';
import { StatusPageService } from './status-page.service';
import { STATUS_PAGE_POLICY } from './status-page.styles';
import { renderStatusPage } from './status-page.view';

/** The status page: an HTML view, for people, of what GET .../mirrors/{id}/status returns, for every mirror the caller may read. */
@ApiTags('status page')
@ApiBasicAuth()
@Controller('service/replication/v1/ui')
export class StatusPageController {
  constructor(private readonly page: StatusPageService) {}

  @Get('status')
  @Expensive()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({
    summary: 'Status page (HTML): every mirror the caller may read, its branches, lag now and over the last day, commits in flight, missing objects, states',
  })
  @ApiOkResponse({ description: 'An HTML page without scripts; it reloads itself every 30 seconds' })
  async status(@CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<string> {
    const page = renderStatusPage(await this.page.model(caller));
    // The API's policy allows no style at all: the page's inline style sheet is allowed by its hash, nothing else.
    response.setHeader('Content-Security-Policy', STATUS_PAGE_POLICY);
    return page;
  }
}
