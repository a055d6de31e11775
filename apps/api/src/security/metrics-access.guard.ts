import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { MonitoringAccess } from './monitoring-access.service';

/** Opens a route to the metrics token's holder and to lakemirror admins (MonitoringAccess). */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly access: MonitoringAccess) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    return this.access.allows(http.getRequest(), http.getResponse(), true);
  }
}
