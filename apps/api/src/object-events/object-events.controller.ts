import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@lakemirror/app-runtime';
import type { Request, Response } from 'express';
import { ObjectEventsReceiver } from './object-events.service';

/** Where the mirror buckets' object-created notifications land: authenticated by their own bearer token. */
@ApiTags('object events')
@ApiBearerAuth()
@Controller('service/replication/v1/object-events')
export class ObjectEventsController {
  constructor(private readonly receiver: ObjectEventsReceiver) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Object-created events of the mirror buckets (MinIO webhook, S3 via EventBridge): a check waiting for an object that arrived runs now. Authorization: Bearer <LAKEMIRROR_OBJECT_EVENTS_TOKEN>; 404 when it is not set, 401 for a wrong token, 400 naming the field of a body that is no event',
  })
  @ApiBody({
    description:
      'An S3 event notification (Records[].eventName, Records[].s3.bucket.name, Records[].s3.object.key URL-encoded) or an EventBridge "Object Created" event',
    schema: {
      type: 'object',
      properties: {
        Records: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              eventName: { type: 'string', example: 's3:ObjectCreated:Put' },
              s3: {
                type: 'object',
                properties: {
                  bucket: { type: 'object', properties: { name: { type: 'string' } } },
                  object: { type: 'object', properties: { key: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  })
  receive(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() body: unknown): Promise<{ objects: number; rechecked: number }> {
    return this.receiver.receive(request, response, body);
  }
}
