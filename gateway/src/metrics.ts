import { Counter, Histogram, Registry } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'operation_type'>;
  duration: Histogram<'operation_type'>;
  errors: Counter<'code'>;
}

/** One registry per gateway (tests start several), scraped at /metrics. */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: 'gateway_graphql_requests_total',
      help: 'GraphQL requests by operation type (unknown when refused before parsing)',
      labelNames: ['operation_type'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'GraphQL request duration in seconds by operation type',
      labelNames: ['operation_type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'GraphQL errors sent to clients by extensions.code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}
