import { ApolloServerPlugin } from '@apollo/server';
import { FragmentDefinitionNode, Kind } from 'graphql';
import { formatOrganisation } from '@ap/auth';
import { forbidden } from '@ap/errors';
import { GatewayContext } from './context';
import { usesIntrospection } from './limits';

/** The only role allowed to introspect the schema. */
export const INTROSPECTION_ROLE = 'LA_ADMIN';

/** Refuses introspection (__schema, __type, also through fragments) to every role but INTROSPECTION_ROLE, with 403 and a message saying why. */
export function introspectionGate(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
          if (!operation || !usesIntrospection(operation, fragments)) return;
          const p = contextValue.principal;
          if (!p) return; // anonymousGate refuses it
          if (p.role === INTROSPECTION_ROLE) return;
          const error = forbidden(
            `Introspection (__schema, __type) is only for ${INTROSPECTION_ROLE}; you are signed in as ${p.role} for ${formatOrganisation(p.org)}. ` +
              'Ask an administrator for the schema (schemas/supergraph.graphql).',
          );
          (error.extensions as Record<string, unknown>).http = { status: 403 };
          throw error;
        },
      };
    },
  };
}
