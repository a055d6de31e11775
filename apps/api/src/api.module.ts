import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PipelineModule } from '@lakemirror/pipeline';
import { PoliciesController } from './admin/policies.controller';
import { API_SETTINGS, ApiSettings } from './api-settings';
import { AuthorizerService } from './auth/authorizer.service';
import { BasicAuthGuard } from './auth/basic-auth.guard';
import { LakefsAuthenticatorService } from './auth/lakefs-authenticator.service';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { AuditService } from './common/audit.service';
import { MetricsController } from './health/metrics.controller';
import { ReadinessController } from './health/readiness.controller';
import { MirrorsController } from './mirrors/mirrors.controller';
import { MirrorsService } from './mirrors/mirrors.service';

@Module({})
export class ApiModule {
  static forSettings(settings: ApiSettings): DynamicModule {
    return {
      module: ApiModule,
      imports: [PipelineModule.forRoles([], settings.pipeline), TerminusModule],
      controllers: [MirrorsController, PoliciesController, ReadinessController, MetricsController],
      providers: [
        { provide: API_SETTINGS, useValue: settings },
        LakefsAuthenticatorService,
        AuthorizerService,
        AuditService,
        MirrorsService,
        { provide: APP_GUARD, useClass: BasicAuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
