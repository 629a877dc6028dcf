import { Principal } from '@ap/auth';

/** What the gateway knows about one GraphQL request; it reaches every data source's willSendRequest. */
export interface GatewayContext {
  /** Null for a request without a token: only public queries get through (anonymous.ts). */
  principal: Principal | null;
  traceId: string;
  /** The client's Idempotency-Key, forwarded to the subgraphs (creating mutations run once per key). */
  idempotencyKey?: string;
  /** Filled in by the plugin for the access log and metrics. */
  stats: RequestStats;
}

export interface RequestStats {
  seenByApollo: boolean;
  operationType?: string;
  operationName?: string | null;
  errorCodes: string[];
}
