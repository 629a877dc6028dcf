import { RequestDone } from '@ap/http';
import { Logger } from '@ap/logger';
import { GatewayContext, RequestStats } from './context';
import { GatewayMetrics } from './metrics';

/** One log line per /graphql request, and the metrics of the requests refused before Apollo's plugins ran. */
export function accessLog(logger: Logger, metrics: GatewayMetrics) {
  return ({ req, path, status, durationMs, context, refusal, response, servedPage }: RequestDone<GatewayContext>) => {
    if (path !== '/graphql' || servedPage) return;
    const stats: RequestStats = context?.stats ?? { seenByApollo: false, errorCodes: [] };
    const countUnseen = (codes: string[]) => {
      metrics.requests.inc({ operation_type: 'unknown' });
      for (const code of codes) {
        stats.errorCodes.push(code);
        metrics.errors.inc({ code });
      }
    };
    if (refusal) countUnseen([refusal.code]);
    // Apollo refused it before its plugins ran (CSRF, malformed request).
    else if (response?.body.kind === 'complete' && !stats.seenByApollo) countUnseen(errorCodes(response.body.string));
    logger.info(
      {
        method: req.method,
        path,
        status,
        durationMs,
        userId: context?.principal?.userId,
        role: context?.principal?.role,
        operationType: stats.operationType,
        operationName: stats.operationName ?? undefined,
        errorCodes: stats.errorCodes.length ? stats.errorCodes : undefined,
      },
      'graphql request',
    );
  };
}

function errorCodes(text: string): string[] {
  try {
    return ((JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  } catch {
    return []; // not JSON: nothing to count
  }
}
