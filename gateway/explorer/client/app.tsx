import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import type { GraphQLSchema } from 'graphql';
import { GraphiQL } from 'graphiql';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { ACCESS_PLUGIN_TITLE, accessPlugin } from './access-panel';
import { createFetcher } from './fetcher';
import { memoryStorage } from './memory-storage';
import { currentSession, signIn, signOut, subscribeSession } from './session';
import type { AccessRules, ExplorerExample } from './types';

const WELCOME = `# Border data hub: schema explorer
#
# 1. Sign in above with a client id and secret (demo: bp-fra / demo-bp-fra).
#    The token stays in this page's memory and goes out as "Authorization: Bearer".
# 2. Pick a contract operation from "Example": it opens in a new tab with its sample variables.
# 3. Run it (Ctrl-Enter). Fields your client may not see come back null with an
#    UNAUTHORIZED_FIELD_OR_TYPE error; the Access panel on the left says which and why.

query Me {
  me { clientId agency { name kind country } scopes }
}
`;

export interface LoadedSchema {
  schema: GraphQLSchema;
  rules: AccessRules;
}

/**
 * The sign-in bar, and GraphiQL once the schema is loaded: at once where the schema is public (development),
 * after sign-in where the gateway shows it to signed-in clients only (production).
 */
export function App(props: {
  load: (token: string | null) => Promise<LoadedSchema | 'sign-in'>;
  examples: ExplorerExample[];
}) {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  const token = session?.token ?? null;
  const [loaded, setLoaded] = useState<LoadedSchema | null>(null);
  const [waiting, setWaiting] = useState('Loading the schema…');
  const [examplesTarget, setExamplesTarget] = useState<HTMLDivElement | null>(null);
  const { load } = props;
  useEffect(() => {
    if (loaded) return;
    let cancelled = false;
    load(token).then(
      (result) => {
        if (cancelled) return;
        if (result === 'sign-in')
          setWaiting('Sign in to load the schema: this hub shows it to signed-in clients only.');
        else setLoaded(result);
      },
      (error: unknown) => {
        if (!cancelled)
          setWaiting(
            `The explorer could not load the schema: ${error instanceof Error ? error.message : String(error)}`,
          );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, token, loaded]);
  return (
    <div className="hub-explorer">
      <header className="hub-bar">
        <h1>Border data hub</h1>
        <SignIn />
        <div className="hub-examples" ref={setExamplesTarget} />
      </header>
      <main className="hub-graphiql">
        {loaded ? (
          <Workspace loaded={loaded} examples={props.examples} examplesTarget={examplesTarget} />
        ) : (
          <p className="hub-waiting" role="status" data-testid="schema-status">
            {waiting}
          </p>
        )}
      </main>
    </div>
  );
}

function Workspace(props: {
  loaded: LoadedSchema;
  examples: ExplorerExample[];
  examplesTarget: HTMLElement | null;
}) {
  const fetcher = useMemo(() => createFetcher('/graphql'), []);
  const storage = useMemo(() => memoryStorage(), []);
  const plugins = useMemo(() => [accessPlugin(props.loaded.rules)], [props.loaded.rules]);
  return (
    <GraphiQL
      fetcher={fetcher}
      storage={storage}
      schema={props.loaded.schema}
      plugins={plugins}
      visiblePlugin={ACCESS_PLUGIN_TITLE}
      defaultQuery={WELCOME}
      defaultEditorToolsVisibility="variables"
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>Explorer</GraphiQL.Logo>
      <ExampleMenu examples={props.examples} target={props.examplesTarget} />
    </GraphiQL>
  );
}

function SignIn() {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(session ? 1000 : null);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn((session?.clientId ?? clientId).trim(), secret);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (session) {
    const left = Math.max(0, Math.round((session.expiresAt - now) / 1000));
    return (
      <div className="hub-signin" role="status" aria-label="Session">
        <span>
          Signed in as <strong data-testid="signed-in-client">{session.clientId}</strong>
        </span>
        <span className={left === 0 ? 'hub-expired' : 'hub-muted'}>
          {left === 0
            ? 'token expired: renew it'
            : `token expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`}
        </span>
        <button type="button" onClick={() => void submit()} disabled={busy || !secret}>
          Renew
        </button>
        <button
          type="button"
          onClick={() => {
            setSecret('');
            signOut();
          }}
        >
          Sign out
        </button>
        {error ? <span className="hub-error">{error}</span> : null}
      </div>
    );
  }
  return (
    <form
      className="hub-signin"
      onSubmit={(event) => void submit(event)}
      aria-label="Sign in"
      autoComplete="off"
    >
      <input
        aria-label="Client id"
        placeholder="client id"
        value={clientId}
        onChange={(event) => setClientId(event.target.value)}
        required
      />
      <input
        aria-label="Client secret"
        placeholder="client secret"
        type="password"
        value={secret}
        onChange={(event) => setSecret(event.target.value)}
        required
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error ? (
        <span className="hub-error" role="alert">
          {error}
        </span>
      ) : (
        <span className="hub-muted">Not signed in: the token is kept in this page's memory only.</span>
      )}
    </form>
  );
}

function useNow(intervalMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The contract operations, rendered into the header bar, but inside GraphiQL's context to reach its editors. */
function ExampleMenu({ examples, target }: { examples: ExplorerExample[]; target: HTMLElement | null }) {
  const { addTab } = useGraphiQLActions();
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const open = (file: string) => {
    const example = examples.find((e) => e.file === file);
    if (!example || !queryEditor) return;
    const current = queryEditor.getValue().trim();
    if (current !== '' && current !== WELCOME.trim()) addTab();
    queryEditor.setValue(example.query);
    variableEditor?.setValue(example.variables);
    queryEditor.focus();
  };
  if (!target) return null;
  return createPortal(
    <label className="hub-example-menu">
      Example{' '}
      <select
        aria-label="Example"
        value=""
        disabled={!queryEditor}
        onChange={(event) => {
          if (event.target.value) open(event.target.value);
        }}
      >
        <option value="">contract operations…</option>
        {examples.map((example) => (
          <option key={example.file} value={example.file}>
            {example.name}
          </option>
        ))}
      </select>
    </label>,
    target,
  );
}
