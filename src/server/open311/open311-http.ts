import type { IncomingMessage, ServerResponse } from "node:http";
import type { DataSource } from "typeorm";
import { config } from "../config/config";
import { DomainError, ErrorCode, badInput } from "../errors/domain-error";
import { logger } from "../logging/logger";
import { open311Error, toOpen311Errors } from "./open311-errors";
import { CONTENT_TYPES, open311Time, render, type Open311Format, type Open311Value } from "./open311-format";
import {
  checkJurisdiction,
  getRequest,
  listRequests,
  listServices,
  parseRequestsQuery,
  requestIdForToken,
  serviceDefinition,
  servicesChangeset,
  submitOpen311Request,
} from "./open311.service";

export const SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";
const MAX_BODY_BYTES = 64 * 1024;

interface Reply {
  status: number;
  root: string;
  value: Open311Value;
  /** The document already written (GET requests, by SQL); value is then unused. */
  body?: string | Buffer;
  /** Public, unchanging for a while: the service list and the discovery document. */
  cacheable?: boolean;
}

const noSuchResource = (hint = "") =>
  new DomainError(ErrorCode.NOT_FOUND, `No such Open311 resource${hint ? `: ${hint}` : ""}`);

class MethodNotAllowed extends Error {
  constructor(readonly allow: string) {
    super("method not allowed");
  }
}

function only(method: string, allowed: string): void {
  if (method !== allowed) throw new MethodNotAllowed(allowed);
}

/** The resource and its format from the last segment of the path: `requests.json` -> requests, json. */
function splitFormat(segments: string[]): { segments: string[]; format: Open311Format | null } {
  const last = segments[segments.length - 1] ?? "";
  const dot = last.lastIndexOf(".");
  const ext = dot > 0 ? last.slice(dot + 1).toLowerCase() : "";
  const format = ext === "json" || ext === "xml" ? ext : null;
  return { segments: [...segments.slice(0, -1), dot > 0 ? last.slice(0, dot) : last], format };
}

/** The public base URL: the configured one, else what the request was addressed to. */
function baseUrl(req: IncomingMessage): string {
  const configured = config().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const proto = String(req.headers["x-forwarded-proto"] ?? "")
    .split(",")[0]
    .trim();
  return `${proto === "https" ? "https" : "http"}://${req.headers.host ?? "localhost"}`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw badInput("content-type", "send the request as application/x-www-form-urlencoded");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw badInput("body", `must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function discovery(ds: DataSource, req: IncomingMessage): Promise<Reply> {
  const c = config();
  const changeset = open311Time(await servicesChangeset(ds), c.STAR_TIME_ZONE);
  return {
    status: 200,
    root: "discovery",
    cacheable: true,
    value: {
      changeset,
      contact: [c.STAR_CITY_NAME, c.STAR_CITY_PHONE].filter(Boolean).join(", "),
      key_service:
        "API keys for submitting requests are issued by the city's STAR administrators. " +
        "Locations are lat and long or address_string; address_id is not supported.",
      endpoints: [
        {
          specification: SPECIFICATION,
          url: `${baseUrl(req)}/open311/v2`,
          changeset,
          type: "production",
          formats: [CONTENT_TYPES.xml.split(";")[0], CONTENT_TYPES.json.split(";")[0]],
        },
      ],
    },
  };
}

async function route(
  ds: DataSource,
  req: IncomingMessage,
  method: string,
  segments: string[],
  query: URLSearchParams,
  format: Open311Format,
): Promise<Reply> {
  if (segments.length === 1 && segments[0] === "discovery") {
    only(method, "GET");
    return discovery(ds, req);
  }
  if (segments[0] !== "v2") throw noSuchResource();
  const [, resource, id, ...rest] = segments;
  if (rest.length) throw noSuchResource();
  if (method === "GET") checkJurisdiction(query);
  switch (resource) {
    case "services":
      only(method, "GET");
      return id === undefined
        ? { status: 200, root: "services", value: await listServices(ds), cacheable: true }
        : { status: 200, root: "service_definition", value: await serviceDefinition(ds, id) };
    case "requests":
      if (id !== undefined) {
        only(method, "GET");
        return { status: 200, root: "service_requests", value: null, body: await getRequest(ds, id, format) };
      }
      if (method === "POST") {
        const form = await readForm(req);
        // Some clients send api_key in the query string; the body wins.
        for (const [k, v] of query) if (!form.has(k)) form.append(k, v);
        const value = await submitOpen311Request(ds, {
          form,
          clientAddress: req.socket.remoteAddress ?? null,
        });
        return { status: 200, root: "service_requests", value };
      }
      only(method, "GET");
      return {
        status: 200,
        root: "service_requests",
        value: null,
        body: (await listRequests(ds, parseRequestsQuery(query), format)).bytes,
      };
    case "tokens":
      only(method, "GET");
      if (id === undefined) throw noSuchResource();
      return { status: 200, root: "service_requests", value: [await requestIdForToken(ds, id)] };
    default:
      throw noSuchResource();
  }
}

function send(
  res: ServerResponse,
  format: Open311Format,
  reply: Reply,
  extra: Record<string, string> = {},
): void {
  const body = reply.body ?? render(format, reply.root, reply.value);
  res.statusCode = reply.status;
  res.setHeader("Content-Type", CONTENT_TYPES[format]);
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.setHeader("Cache-Control", reply.cacheable ? "public, max-age=300" : "no-store");
  // Public data: any web page may read it (POST needs a key, which browsers should never hold).
  res.setHeader("Access-Control-Allow-Origin", "*");
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  res.end(body);
}

/**
 * Answers /open311/discovery.{format} and /open311/v2/... (also when reached as /api/open311/... after
 * the rewrite). Errors are GeoReport v2 error lists in the requested format (XML when it is unknown).
 */
export async function handleOpen311(
  database: DataSource | (() => Promise<DataSource>),
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://open311.invalid");
  let format: Open311Format = "xml";
  try {
    const path = url.pathname.replace(/^\/api(?=\/)/, "").replace(/^\/open311(?=\/|$)/, "");
    let raw: string[];
    try {
      raw = path.split("/").filter(Boolean).map(decodeURIComponent);
    } catch {
      throw badInput("path", "is not valid percent-encoding");
    }
    const split = splitFormat(raw);
    if (!split.format) throw noSuchResource("add .json or .xml to the path");
    format = split.format;
    // Opened inside the try: a database that cannot be reached is an Open311 error list too.
    const ds = typeof database === "function" ? await database() : database;
    send(res, format, await route(ds, req, method, split.segments, url.searchParams, format));
  } catch (err) {
    if (err instanceof MethodNotAllowed) {
      const e = open311Error(400, `${method} is not allowed here; use ${err.allow}`);
      return send(res, format, { status: e.status, root: "errors", value: e.errors }, { Allow: err.allow });
    }
    const e = toOpen311Errors(err);
    if (e.status >= 500) logger.error({ path: url.pathname, method }, "Open311 request failed");
    send(res, format, { status: e.status, root: "errors", value: e.errors });
  }
}
