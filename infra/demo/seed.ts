/**
 * What `npm start` runs last: loads the small demo (the same loader as `npm run demo`, load.ts)
 * through the gateway, then prints the URLs and demo tokens. Idempotent: a second start adds nothing.
 */
import { issueClientToken, parseOrganisation } from '@ap/auth';
import { SERVICE_NAMES, serviceConfig, setting } from '@ap/config';
import { summary } from './demo';
import { loadDemo } from './load';
import { Progress } from './progress';

const gateway = `http://127.0.0.1:${setting('GATEWAY_PORT')}/graphql`;

async function main() {
  const result = await loadDemo({ gateway, size: 'small', progress: new Progress() });
  const { plan } = result;
  const provider = plan.providers.find((p) => p.outcome === 'APPROVED' && p.laCode === '865')!;
  const providerId = result.providerIds.get(provider.name)!;
  const pupil = plan.pupils.find((p) => p.story === 'ACTIVE' && p.laCode === '865')!;
  const pupilId = result.pupilIds.get(pupil.upn)!;
  const laAdmin = await issueClientToken({ userId: 'demo-la-admin-865', role: 'LA_ADMIN', org: parseOrganisation('la:865') });
  const school = await issueClientToken({ userId: `demo-school-${pupil.schoolUrn}`, role: 'SCHOOL_USER', org: parseOrganisation(`school:${pupil.schoolUrn}`) });
  const providerToken = await issueClientToken({ userId: 'demo-provider', role: 'PROVIDER_USER', org: parseOrganisation(`provider:${providerId}`) });
  console.log(`
AP Pathways is running.

  Gateway (GraphQL):  ${gateway}   (GraphiQL: open it in a browser)
${SERVICE_NAMES.map((n) => `  ${n.padEnd(18)}  ${serviceConfig(n).url}  (reachable only through the gateway)`).join('\n')}
  Health:             http://127.0.0.1:${setting('GATEWAY_PORT')}/healthz  /readyz; metrics on :${setting('GATEWAY_METRICS_PORT')}/metrics

${summary(result)}
  The full-size demo (30 schools, 20 providers, 300 pupils): npm run demo

Demo token (LA_ADMIN, la:865, valid 8 hours):
${laAdmin}

School token (SCHOOL_USER, school:${pupil.schoolUrn}):
${school}

Provider token (PROVIDER_USER, ${provider.name}, provider:${providerId}):
${providerToken}

Try it (as the school): a pupil's referrals and placement
  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer <school token>" \\
    -d '{"query":"{ pupil(id: \\"${pupilId}\\") { upn givenName familyName referrals { status } placements { status provider { name compliance } } } }"}'

Search the directory (as the school), or the public local offer (no token):
  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer <school token>" \\
    -d '{"query":"{ searchProviders(filter: { keyStage: KS3, near: { latitude: 51.35, longitude: -1.99, withinKm: 40 } }) { edges { distanceKm node { name } offers { name freePlaces pricePerDay } } } }"}'
  curl -s ${gateway} -H 'content-type: application/json' -d '{"query":"{ localOffer(laCode: \\"865\\") { totalCount edges { node { name } } } }"}'

As the school: { reviewsDue { reviews { dueDate overdue placement { id type flags } } } }
Other tokens: npm run -s token -- --role QA_OFFICER --org la:865
Stop everything: npm run stop
`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
