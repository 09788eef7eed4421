import http from "node:http";
import type { AddressInfo } from "node:net";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { DataSource } from "typeorm";
import { handleOpen311 } from "../../src/server/open311/open311-http";

export interface Open311Server {
  url: string;
  close(): Promise<void>;
}

/** The Open311 handler the Next route uses, on a real HTTP server at /open311/... over the test database. */
export async function startOpen311Server(ds: DataSource): Promise<Open311Server> {
  const server = http.createServer((req, res) => void handleOpen311(ds, req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
}

export async function fetchText(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    text: await res.text(),
    headers: res.headers,
  };
}

/** A form-encoded POST, as GeoReport v2 clients send it. */
export function postForm(url: string, fields: Record<string, string | string[]>): Promise<Answer> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return fetchText(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
}

const LISTS: Record<string, string> = {
  services: "service",
  service_requests: "request",
  attributes: "attribute",
  values: "value",
  errors: "error",
  endpoints: "endpoint",
  formats: "format",
};
const ITEMS = new Set(Object.values(LISTS));

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ITEMS.has(name),
});

/** Parses an XML answer, failing on anything that is not well-formed. */
export function parseXml(text: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}\n${text.slice(0, 500)}`);
  expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  return parser.parse(text) as Record<string, unknown>;
}

/**
 * What the XML of a JSON value reads as once parsed: lists wrapped in their item elements, every value
 * text, and null (or an empty list) an empty element.
 */
export function asXmlReads(name: string, value: unknown): unknown {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) {
    if (!value.length) return "";
    return { [LISTS[name]]: value.map((v) => asXmlReads(LISTS[name], v)) };
  }
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asXmlReads(k, v)]));
  }
  return String(value);
}

/** Fetches `path` as .json and .xml, checks the formats, and that both say the same; returns the JSON. */
export async function bothFormats<T = unknown>(
  base: string,
  path: string,
  root: string,
  expectStatus = 200,
): Promise<{ json: T; xml: Record<string, unknown> }> {
  const [pathname, query] = path.split("?");
  const q = query ? `?${query}` : "";
  const j = await fetchText(`${base}${pathname}.json${q}`);
  const x = await fetchText(`${base}${pathname}.xml${q}`);
  expect({ status: j.status, type: j.contentType }).toEqual({
    status: expectStatus,
    type: "application/json; charset=utf-8",
  });
  expect({ status: x.status, type: x.contentType }).toEqual({
    status: expectStatus,
    type: "text/xml; charset=utf-8",
  });
  const json = JSON.parse(j.text) as T;
  const xml = parseXml(x.text);
  expect(xml).toEqual({ [root]: asXmlReads(root, json) });
  return { json, xml };
}
