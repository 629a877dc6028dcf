import { ApolloServerPlugin } from '@apollo/server';
import { GatewayContext } from './context';
import { GatewayMetrics } from './metrics';

/** Counts each request Apollo handles, its duration and its errors' codes, and notes its operation for the access log. */
export function observe(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      contextValue.stats.seenByApollo = true;
      return {
        async didResolveOperation({ operation, operationName }) {
          contextValue.stats.operationType = operation?.operation;
          contextValue.stats.operationName = operationName;
        },
        async willSendResponse({ response }) {
          const type = contextValue.stats.operationType ?? 'unknown';
          metrics.requests.inc({ operation_type: type });
          metrics.duration.observe({ operation_type: type }, Number(process.hrtime.bigint() - started) / 1e9);
          if (response.body.kind === 'single') {
            for (const e of response.body.singleResult.errors ?? []) {
              const code = String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
              contextValue.stats.errorCodes.push(code);
              metrics.errors.inc({ code });
            }
          }
        },
      };
    },
  };
}
