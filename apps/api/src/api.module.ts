import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { PipelineModule } from '@lakemirror/pipeline';
import { PoliciesController } from './admin/policies.controller';
import { API_SETTINGS, ApiSettings } from './api-settings';
import { AuthorizerService } from './auth/authorizer.service';
import { BasicAuthGuard } from './auth/basic-auth.guard';
import { LakefsAuthenticatorService } from './auth/lakefs-authenticator.service';
import { RequestAuthenticator } from './auth/request-authenticator.service';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { AuditService } from './common/audit.service';
import { MetricsController } from './health/metrics.controller';
import { ReadinessController } from './health/readiness.controller';
import { MirrorPlacementService } from './mirrors/mirror-placement.service';
import { MirrorsController } from './mirrors/mirrors.controller';
import { MirrorsService } from './mirrors/mirrors.service';
import { AuthFailureLimiter } from './security/auth-failure-limiter.service';
import { ExpensiveCallGuard } from './security/expensive-call.guard';
import { MonitoringAccess } from './security/monitoring-access.service';
import { SecurityAuditService } from './security/security-audit.service';

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
        RequestAuthenticator,
        AuthFailureLimiter,
        SecurityAuditService,
        MonitoringAccess,
        AuthorizerService,
        AuditService,
        MirrorsService,
        MirrorPlacementService,
        { provide: APP_GUARD, useClass: BasicAuthGuard },
        // After authentication: it limits each caller's @Expensive() calls.
        { provide: APP_GUARD, useClass: ExpensiveCallGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
