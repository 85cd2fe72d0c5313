import { useDeferredValue, useMemo, useState, useSyncExternalStore } from 'react';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import {
  coordinateOfPath,
  describeRequirement,
  fieldsOfDocument,
  isGranted,
  OPERATION_CHECK_FIELDS,
  type ExplorerCaller,
  type FieldAccess,
} from './access';
import { lastResponse, subscribeLastResponse, type LastResponse } from './fetcher';
import { currentSession, subscribeSession } from './session';
import type { AccessRules } from './types';

export const ACCESS_PLUGIN_TITLE = 'Access';

/**
 * The "Access" sidebar plugin. GraphiQL 5's doc explorer renders descriptions, so every field's rule is also
 * appended to its description (access.ts annotateSchema); this panel answers the questions the docs cannot:
 * which fields of the operation being edited the signed-in client will get back null, and why the last
 * response nulled what it nulled. It works from the editor's parsed document, so it needs no cursor tracking
 * in Monaco, and from the rules the gateway enforces, so it stays right when the supergraph changes.
 */
export function accessPlugin(rules: AccessRules): GraphiQLPlugin {
  return {
    title: ACCESS_PLUGIN_TITLE,
    icon: LockIcon,
    content: function AccessContent() {
      return <AccessPanel rules={rules} />;
    },
  };
}

function LockIcon() {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor">
      <rect x="5" y="11" width="14" height="10" rx="2" strokeWidth="1.5" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" strokeWidth="1.5" />
    </svg>
  );
}

function AccessPanel({ rules }: { rules: AccessRules }) {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  const response = useSyncExternalStore(subscribeLastResponse, lastResponse);
  const schema = useGraphiQL((state) => state.schema);
  const documentAST = useGraphiQL((state) => state.documentAST);
  const caller = session?.caller ?? null;
  return (
    <div className="hub-access" data-testid="access-panel">
      <div className="graphiql-doc-explorer-title">Access</div>
      <p className="hub-muted">
        {caller ? (
          <>
            Signed in as <strong>{caller.clientId}</strong> with scopes{' '}
            {caller.scopes.length ? caller.scopes.map((s) => <code key={s}>{s}</code>) : <em>none</em>}.
          </>
        ) : (
          <>Not signed in: fields that need a sign-in or a scope come back null.</>
        )}{' '}
        A field you may not see comes back <code>null</code> with an <code>UNAUTHORIZED_FIELD_OR_TYPE</code>{' '}
        error at its path; the rest of the answer is unaffected.
      </p>
      <OperationGrants caller={caller} />
      {schema && response ? <ResponseAccess schema={schema} response={response} rules={rules} /> : null}
      {schema && documentAST ? (
        <OperationAccess schema={schema} document={documentAST} rules={rules} caller={caller} />
      ) : null}
      <RuleTable rules={rules} caller={caller} />
    </div>
  );
}

/**
 * Temporary, operation-bound scopes: what the token's `ops` claim grants, and when they count. The table below
 * judges the caller's own scopes only.
 */
function OperationGrants({ caller }: { caller: ExplorerCaller | null }) {
  const grants = caller?.operations ?? [];
  return (
    <section aria-label="Operation grants">
      <h3>Operation grants</h3>
      <p className="hub-muted">
        A border-security operation grants its participants extra scopes for a limited time. They count only
        in a request whose every root field is{' '}
        {OPERATION_CHECK_FIELDS.map((f, i) => (
          <span key={f}>
            {i ? ', ' : ''}
            <code>{f}</code>
          </span>
        ))}{' '}
        quoting that operation (<code>context: {'{ operation, borderPoint }'}</code>, or{' '}
        <code>input.operation</code>
        ), at one of your border points, until the operation&apos;s window ends; never elsewhere.
      </p>
      {grants.length ? (
        <ul>
          {grants.map((grant) => (
            <li key={grant.code}>
              <strong>{grant.code}</strong>:{' '}
              {grant.scopes.map((s) => (
                <code key={s}>{s}</code>
              ))}{' '}
              at {grant.borderPoints.join(', ')} until {grant.until}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hub-muted">
          {caller ? 'Your token carries no operation grant.' : 'Sign in to see yours.'}
        </p>
      )}
    </section>
  );
}

function OperationAccess(props: {
  schema: GraphQLSchema;
  document: DocumentNode;
  rules: AccessRules;
  caller: ExplorerCaller | null;
}) {
  const fields = useMemo(
    () => fieldsOfDocument(props.schema, props.document, props.rules, props.caller),
    [props.schema, props.document, props.rules, props.caller],
  );
  const hidden = fields.filter((f) => !f.granted);
  const allowed = fields.filter((f) => f.granted && f.requirement);
  const open = fields.length - hidden.length - allowed.length;
  return (
    <section aria-label="Fields of this operation">
      <h3>This operation</h3>
      <p className="hub-muted">
        {fields.length} fields: {hidden.length} hidden {props.caller ? 'for you' : 'without a sign-in'},{' '}
        {allowed.length} restricted and granted, {open} open.
      </p>
      {hidden.length ? <FieldList title="Hidden (null + error)" fields={hidden} kind="hidden" /> : null}
      {allowed.length ? <FieldList title="Granted" fields={allowed} kind="granted" /> : null}
    </section>
  );
}

function FieldList({ title, fields, kind }: { title: string; fields: FieldAccess[]; kind: string }) {
  return (
    <>
      <h4>{title}</h4>
      <ul className={`hub-fields hub-${kind}`}>
        {fields.map((f) => (
          <li key={f.coordinate}>
            <code>{f.coordinate}</code> <span>needs {describeRequirement(f.requirement)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function ResponseAccess(props: { schema: GraphQLSchema; response: LastResponse; rules: AccessRules }) {
  const rows = useMemo(() => {
    let document: DocumentNode | null = null;
    try {
      document = parse(props.response.query);
    } catch {
      document = null;
    }
    return props.response.errors
      .filter(
        (e) =>
          e.extensions?.code === 'UNAUTHORIZED_FIELD_OR_TYPE' || e.extensions?.code === 'UNAUTHENTICATED',
      )
      .map((error, index) => {
        const coordinate =
          document && error.path
            ? coordinateOfPath(props.schema, document, props.response.operationName, error.path)
            : null;
        const rule = coordinate ? props.rules[coordinate] : undefined;
        return { key: index, error, coordinate, rule };
      });
  }, [props.schema, props.response, props.rules]);
  return (
    <section aria-label="Last response">
      <h3>Last response</h3>
      {rows.length === 0 ? (
        <p className="hub-muted">HTTP {props.response.status}: no field was withheld.</p>
      ) : (
        <ul className="hub-fields hub-hidden">
          {rows.map(({ key, error, coordinate, rule }) => (
            <li key={key}>
              <code>{error.extensions?.code}</code>{' '}
              {error.path ? <code>{error.path.join('.')}</code> : <span>{error.message}</span>}
              {coordinate ? (
                <span>
                  {' '}
                  — <code>{coordinate}</code> needs {describeRequirement(rule)}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RuleTable({ rules, caller }: { rules: AccessRules; caller: ExplorerCaller | null }) {
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter.trim().toLowerCase());
  const entries = useMemo(
    () =>
      Object.entries(rules)
        .map(([coordinate, rule]) => ({
          coordinate,
          text: describeRequirement(rule),
          granted: isGranted(rule, caller),
        }))
        .filter(
          ({ coordinate, text }) => !deferred || `${coordinate} ${text}`.toLowerCase().includes(deferred),
        ),
    [rules, caller, deferred],
  );
  return (
    <section aria-label="All access rules">
      <h3>All rules</h3>
      <input
        className="hub-search"
        type="search"
        placeholder="Filter: type, field or scope"
        aria-label="Filter access rules"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      <ul className="hub-rules">
        {entries.map(({ coordinate, text, granted }) => (
          <li key={coordinate} className={granted ? 'hub-granted' : 'hub-hidden'}>
            <code>{coordinate}</code>
            <span>{text}</span>
            <span className="hub-mark" title={granted ? 'granted' : 'not granted'}>
              {granted ? '✓' : '✗'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
