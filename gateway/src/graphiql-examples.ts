/**
 * The operations an admin finds in GraphiQL's tabs the first time the page opens (GraphiQL keeps
 * the tabs in the browser's storage after that). Each is checked against schemas/supergraph.graphql
 * by gateway/test/graphiql.test.ts, so a renamed field fails a test instead of a demo.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const EXAMPLE_TABS: ExampleTab[] = [
  {
    query: `# Your LA's directory, and other LAs' approved providers.
# Paste a token in the bar above first; mint one with
#   npm run -s token -- --role LA_ADMIN --org la:865
query Directory {
  providers {
    id
    name
    registrationType
    approvalStatus
    compliance
    laCode
  }
}
`,
  },
  {
    query: `# Adds a provider to your LA's directory, as APPLIED.
# Copy its id into the next tab to approve it.
mutation RegisterProvider($input: RegisterProviderInput!) {
  registerProvider(input: $input) {
    id
    name
    approvalStatus
    compliance
  }
}
`,
    variables: json({ input: { name: 'Riverside Learning Centre (fictional)', registrationType: 'REGISTERED_INDEPENDENT_SCHOOL', urn: '999001', postcode: 'ZZ1 1AA' } }),
  },
  {
    query: `# Approves a provider of your LA (the id from RegisterProvider).
mutation ApproveProvider($id: ID!) {
  approveProvider(id: $id) {
    id
    name
    approvalStatus
    approvedAt
  }
}
`,
    variables: json({ id: 'paste-the-provider-id' }),
  },
  {
    query: `# Records a completed Section 175 safeguarding audit; the directory
# then updates the provider's compliance (GREEN: COMPLIANT, AMBER:
# ACTION_REQUIRED, RED: NON_COMPLIANT).
mutation CompleteAudit($input: CompleteAuditInput!) {
  completeAudit(input: $input) {
    id
    rating
    compliance
    completedAt
    provider {
      name
      compliance
    }
  }
}
`,
    variables: json({ input: { providerId: 'paste-the-provider-id', rating: 'GREEN', summary: 'Single central record checked; DSL in post.' } }),
  },
  {
    query: `# A pupil of your LA: their referrals (with the day-6 deadline of a
# permanent exclusion) and placements. Every read of a pupil is logged.
query Pupil($id: ID!) {
  pupil(id: $id) {
    upn
    givenName
    familyName
    yearGroup
    keyStage
    referrals {
      id
      status
      reason
      day6Deadline
      provider {
        name
      }
    }
    placements {
      id
      status
      startedAt
    }
  }
}
`,
    variables: json({ id: 'paste-a-pupil-id' }),
  },
];
