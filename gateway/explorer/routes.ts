import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { printSchema } from 'graphql';
import { readAccessRequirements } from '../authorization/requirements';
import { HttpError, type Route } from '../../shared/http/server';
import { buildSupergraphApiSchema } from '../supergraph';
import { buildExplorer } from './build';
import type { AccessRules } from './client/types';
import {
  EXPLORER_FILES,
  explorerPaths,
  inputFingerprint,
  readBuildInfo,
  sourcesPresent,
  type ExplorerFile,
  type ExplorerPaths,
} from './paths';

/**
 * The offline schema explorer, served by the gateway itself: `GET /` (and `/explorer/`) is GraphiQL, every file
 * it needs is under `/explorer/`, and nothing comes from another host. Police networks are often closed to
 * the internet, and a page that pulled scripts from a CDN would also hand that CDN every officer's token.
 *
 * - `/explorer/schema.graphql`: the supergraph's API schema (what clients can query), from which the page
 *   builds its schema, so the explorer works for clients without `schema:read` (the scope introspection through
 *   /graphql needs), e.g. border police.
 * - `/explorer/access.json`: every field's and type's access rule ("Type.field" → requirement), read from the
 *   same supergraph with the gateway's own reader, so the page shows exactly what the gateway enforces.
 *
 * Both are open in development; with `authorize` (production) they are for signed-in clients only: the shape of
 * the graph and its rules tell an attacker what to ask for (docs/security.md, "Schema exposure").
 * - the static files, bundled by ./build.ts into dist/explorer (gitignored) the first time they are asked for,
 *   or again when their inputs changed.
 */
export function explorerRoutes(
  supergraphSdl: string,
  options: {
    paths?: ExplorerPaths;
    /** Throws (an HttpError 401) unless the request may read the schema and the rules. */
    authorize?: (req: IncomingMessage) => Promise<void>;
  } = {},
): Route[] {
  const paths = options.paths ?? explorerPaths();
  const schemaSdl = lazy(() => Buffer.from(printSchema(buildSupergraphApiSchema(supergraphSdl))));
  const accessJson = lazy(() => Buffer.from(JSON.stringify(accessRules(supergraphSdl))));
  const ensure = () => ensureExplorerBuilt(paths);

  const staticFile = (file: ExplorerFile, routePath: string): Route => ({
    method: 'GET',
    path: routePath,
    handler: async (req, res) => {
      let build: LoadedExplorer;
      try {
        build = await ensure();
      } catch (error) {
        throw new HttpError(503, 'The explorer is not available', {
          error: `The explorer is not built and could not be built here: ${(error as Error).message}. Run npm run build:explorer.`,
        });
      }
      send(req, res, build.files[file]);
    },
  });
  const generated = (routePath: string, type: string, body: () => Buffer): Route => ({
    method: 'GET',
    path: routePath,
    handler: async (req, res) => {
      if (options.authorize) await options.authorize(req);
      send(req, res, asset(body(), type), { private: options.authorize !== undefined });
    },
  });

  return [
    staticFile('index.html', '/'),
    staticFile('index.html', '/explorer'),
    staticFile('index.html', '/explorer/'),
    ...EXPLORER_FILES.map((file) => staticFile(file, `/explorer/${file}`)),
    generated('/explorer/schema.graphql', 'text/plain; charset=utf-8', schemaSdl),
    generated('/explorer/access.json', 'application/json; charset=utf-8', accessJson),
  ];
}

/** Every access rule of the supergraph, keyed "Type.field" (fields) or "Type" (types), sorted. */
function accessRules(supergraphSdl: string): AccessRules {
  return Object.fromEntries(
    [...readAccessRequirements(supergraphSdl)].sort(([a], [b]) => a.localeCompare(b)),
  ) as AccessRules;
}

/**
 * GraphiQL needs: scripts and workers from 'self' only; 'unsafe-inline' styles, because Monaco and GraphiQL
 * add <style> elements and style attributes at run time (no script may be inlined); fonts and icons as
 * data: URLs (GraphiQL's stylesheet inlines its fonts); XHR/fetch to 'self' only (/graphql, /oauth/token).
 * Nothing may frame the page, and forms may post nowhere.
 */
const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': EXPLORER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface Asset {
  body: Buffer;
  gzip: () => Buffer;
  type: string;
  etag: string;
}

interface LoadedExplorer {
  files: Record<ExplorerFile, Asset>;
}

function asset(body: Buffer, type: string): Asset {
  return {
    body,
    type,
    etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    gzip: lazy(() => zlib.gzipSync(body)),
  };
}

function send(req: IncomingMessage, res: ServerResponse, file: Asset, access = { private: false }): void {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': file.type,
    // Revalidated every time (cheap: 304), so a rebuilt explorer is picked up at once; what only signed-in
    // clients may read stays out of shared caches.
    'cache-control': access.private ? 'private, no-cache' : 'no-cache',
    etag: file.etag,
    vary: access.private ? 'accept-encoding, authorization' : 'accept-encoding',
  };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && file.body.length > 1024;
  const body = gzip ? file.gzip() : file.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}

const builds = new Map<string, Promise<LoadedExplorer>>();

/**
 * Makes sure dist/explorer holds a build of the current sources and loads it into memory; once per process
 * and output folder (a failed attempt is retried on the next request). With the sources absent (a production
 * image built with `npm run build:explorer`), serves what is there.
 */
export function ensureExplorerBuilt(paths: ExplorerPaths = explorerPaths()): Promise<LoadedExplorer> {
  let pending = builds.get(paths.outDir);
  if (!pending) {
    pending = buildIfNeeded(paths).then(() => loadExplorer(paths.outDir));
    pending.catch(() => builds.delete(paths.outDir));
    builds.set(paths.outDir, pending);
  }
  return pending;
}

async function buildIfNeeded(paths: ExplorerPaths): Promise<void> {
  const complete = EXPLORER_FILES.every((file) => fs.existsSync(path.join(paths.outDir, file)));
  if (!sourcesPresent(paths)) {
    if (complete) return;
    throw new Error(`${paths.outDir} is incomplete and the explorer's sources are not here`);
  }
  if (complete && readBuildInfo(paths.outDir)?.fingerprint === inputFingerprint(paths)) return;
  await buildExplorer(paths);
}

function loadExplorer(outDir: string): LoadedExplorer {
  const files = Object.fromEntries(
    EXPLORER_FILES.map((file) => [
      file,
      asset(fs.readFileSync(path.join(outDir, file)), CONTENT_TYPES[path.extname(file)]),
    ]),
  ) as Record<ExplorerFile, Asset>;
  return { files };
}

function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}
