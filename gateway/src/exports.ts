import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { issueInternalToken } from '@ap/auth';
import { CENSUS_AP_COLUMNS, censusSetting } from '@ap/domain';
import { csvLine, HttpRefusal, HttpRoute, statusOfCode, UTF8_BOM } from '@ap/http';
import { Logger } from '@ap/logger';
import { authenticate } from './authenticate';

/**
 * The CSV exports, on the gateway with the same bearer token as /graphql:
 * - /export/outcome-rows.csv: the caller is authenticated here, then the outcomes subgraph's own
 *   route is called with an internal token for the caller (as for GraphQL) and its stream piped
 *   through, so memory stays flat; the subgraph scopes and pseudonymises as outcomeRows does.
 * - /export/census-ap.csv: the census needs the UPN, which only the referral service holds (and
 *   logs every read of). So this runs a federated query through the gateway itself, as the caller:
 *   outcomes gives the school's placements, referral the UPNs it lets this caller see, the
 *   directory the setting's URN or UKPRN. A school's census return is tens of rows: not streamed.
 */
export function exportRoutes(options: { outcomesUrl: string; selfGraphqlUrl: () => string; logger: Logger }): Record<string, HttpRoute> {
  const getOnly = (req: { method?: string }, path: string) => {
    if (req.method !== 'GET') throw new HttpRefusal(405, `Use GET on ${path}.`, 'BAD_REQUEST', { allow: 'GET' });
  };
  const unavailable = () => new HttpRefusal(503, 'The outcomes service is unavailable; try again in a moment.', 'SUBGRAPH_UNAVAILABLE', { 'retry-after': '5' });

  return {
    '/export/outcome-rows.csv': async (req, res, url, traceId) => {
      getOnly(req, url.pathname);
      const principal = await authenticate(req);
      const token = await issueInternalToken({ principal, audience: 'outcomes', traceId });
      const target = new URL('/export/outcome-rows.csv', options.outcomesUrl);
      target.search = url.search;
      const upstream = await fetch(target, { headers: { authorization: `Bearer ${token}`, 'x-trace-id': traceId } }).catch((err: unknown) => {
        options.logger.warn({ err, subgraph: 'outcomes' }, 'export: subgraph unreachable');
        return null;
      });
      if (!upstream) throw unavailable();
      if (!upstream.ok) {
        // The subgraph's refusal (400, 403 …) as it gave it; anything else is ours to log.
        const body = (await upstream.json().catch(() => null)) as { errors?: { message: string; extensions?: { code?: string } }[] } | null;
        const error = body?.errors?.[0];
        if (upstream.status === 503) throw unavailable();
        if (!error || upstream.status >= 500) throw new Error(`outcomes export answered HTTP ${upstream.status}`);
        throw new HttpRefusal(upstream.status, error.message, error.extensions?.code ?? 'BAD_REQUEST', {}, error.extensions ?? {});
      }
      res.writeHead(200, {
        'content-type': upstream.headers.get('content-type') ?? 'text/csv; charset=utf-8',
        'content-disposition': upstream.headers.get('content-disposition') ?? 'attachment',
        'cache-control': 'no-store',
      });
      if (upstream.body) await pipeline(Readable.fromWeb(upstream.body as unknown as WebReadableStream), res);
      else res.end();
      return 200;
    },

    '/export/census-ap.csv': async (req, res, url, traceId) => {
      getOnly(req, url.pathname);
      await authenticate(req);
      const urn = url.searchParams.get('urn') ?? '';
      const censusDate = url.searchParams.get('censusDate') ?? '';
      const answer = await fetch(options.selfGraphqlUrl(), {
        method: 'POST',
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json', 'x-trace-id': traceId },
        body: JSON.stringify({ query: CENSUS_QUERY, variables: { urn, censusDate } }),
      });
      const body = (await answer.json()) as { data?: { censusApPlacements: CensusPlacement[] | null } | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
      const error = body.errors?.[0];
      if (error || !body.data?.censusApPlacements) {
        const code = error?.extensions?.code;
        if (!error || statusOfCode(code) >= 500) throw new Error(`census export: ${error?.message ?? 'no data'}`);
        throw new HttpRefusal(statusOfCode(code), error.message, String(code), {}, { ...error.extensions });
      }
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="census-ap-${urn}-${censusDate}.csv"`,
        'cache-control': 'no-store',
      });
      const lines = body.data.censusApPlacements.map((p) => {
        const setting = censusSetting(p.provider ?? {});
        return csvLine([
          p.pupil?.upn ?? null,
          setting.urn,
          setting.ukprn,
          setting.typeOfSetting,
          p.entryDate,
          p.leavingDate,
          p.fullTime === null ? null : p.fullTime ? 'FT' : 'PT',
          p.sessionsPerWeek,
          p.placementType,
        ]);
      });
      res.end(UTF8_BOM + csvLine(CENSUS_AP_COLUMNS) + lines.join(''));
      return 200;
    },
  };
}

const CENSUS_QUERY = `query CensusApExport($urn: String!, $censusDate: String!) {
  censusApPlacements(urn: $urn, censusDate: $censusDate) {
    pupil { upn }
    provider { urn ukprn registrationType }
    entryDate leavingDate fullTime sessionsPerWeek placementType
  }
}`;

interface CensusPlacement {
  pupil: { upn: string } | null;
  provider: { urn: string | null; ukprn: string | null; registrationType: string | null } | null;
  entryDate: string;
  leavingDate: string | null;
  fullTime: boolean | null;
  sessionsPerWeek: number | null;
  placementType: string | null;
}
