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
import { HookAuthenticator } from './hooks/hook-authenticator.service';
import { HookTokenController } from './hooks/hook-token.controller';
import { HookTokensService } from './hooks/hook-tokens.service';
import { HooksController } from './hooks/hooks.controller';
import { BranchFreshnessController } from './mirrors/branch-freshness.controller';
import { BranchFreshnessService } from './mirrors/branch-freshness.service';
import { MirrorAuditingService } from './mirrors/mirror-auditing.service';
import { MirrorAuditsController } from './mirrors/mirror-audits.controller';
import { MirrorPauseController } from './mirrors/mirror-pause.controller';
import { MirrorPromotionController } from './mirrors/mirror-promotion.controller';
import { MirrorPromotionService } from './mirrors/mirror-promotion.service';
import { MirrorPausingService } from './mirrors/mirror-pausing.service';
import { MirrorPlacementService } from './mirrors/mirror-placement.service';
import { MirrorUpdateController } from './mirrors/mirror-update.controller';
import { MirrorUpdateService } from './mirrors/mirror-update.service';
import { MirrorsController } from './mirrors/mirrors.controller';
import { MirrorsService } from './mirrors/mirrors.service';
import { AuthFailureLimiter } from './security/auth-failure-limiter.service';
import { ExpensiveCallGuard } from './security/expensive-call.guard';
import { MonitoringAccess } from './security/monitoring-access.service';
import { SecurityAuditService } from './security/security-audit.service';
import { StatusPageController } from './status-page/status-page.controller';
import { ObjectEventsController } from './object-events/object-events.controller';
import { ObjectEventsReceiver } from './object-events/object-events.service';
import { StatusPageService } from './status-page/status-page.service';

@Module({})
export class ApiModule {
  static forSettings(settings: ApiSettings): DynamicModule {
    return {
      module: ApiModule,
      imports: [PipelineModule.forRoles([], settings.pipeline), TerminusModule],
      controllers: [
        MirrorsController,
        MirrorUpdateController,
        MirrorPauseController,
        MirrorPromotionController,
        MirrorAuditsController,
        BranchFreshnessController,
        PoliciesController,
        ReadinessController,
        MetricsController,
        StatusPageController,
        HookTokenController,
        HooksController,
        ObjectEventsController,
      ],
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
        MirrorUpdateService,
        MirrorPausingService,
        MirrorPromotionService,
        MirrorAuditingService,
        BranchFreshnessService,
        StatusPageService,
        HookAuthenticator,
        HookTokensService,
        ObjectEventsReceiver,
        { provide: APP_GUARD, useClass: BasicAuthGuard },
        // After authentication: it limits each caller's @Expensive() calls.
        { provide: APP_GUARD, useClass: ExpensiveCallGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
