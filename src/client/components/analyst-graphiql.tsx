import { GraphiQL } from "graphiql";
import { useEffect, useMemo, useRef, type ComponentProps } from "react";

type Fetcher = ComponentProps<typeof GraphiQL>["fetcher"];

export interface AnalystGraphiQLProps {
  query: string;
  variables: string;
  onEditQuery: (query: string) => void;
  onEditVariables: (variables: string) => void;
  /** Every result of the analyst's own operations (not the schema's introspection). */
  onResult: (result: unknown) => void;
}

const LABELS: [selector: string, label: string][] = [
  [".graphiql-query-editor textarea", "GraphQL query"],
  [".graphiql-editor-tool textarea", "Variables as JSON"],
  [".graphiql-response textarea", "Result"],
];

/**
 * What axe finds wrong in GraphiQL's markup, put right as it renders: CodeMirror's input areas get names,
 * its scroll areas a keyboard stop, and the tabs' roles move from the item (which holds a close button) to
 * the button that selects the tab.
 */
function repair(root: HTMLElement): void {
  for (const [selector, label] of LABELS)
    for (const el of root.querySelectorAll(selector))
      if (el.getAttribute("aria-label") !== label) el.setAttribute("aria-label", label);
  for (const el of root.querySelectorAll(".CodeMirror-scroll"))
    if (el.getAttribute("tabindex") !== "0") el.setAttribute("tabindex", "0");
  for (const tab of root.querySelectorAll<HTMLElement>(".graphiql-tab[role='tab']")) {
    const button = tab.querySelector(".graphiql-tab-button");
    if (!button) continue;
    button.setAttribute("role", "tab");
    button.setAttribute("aria-selected", tab.getAttribute("aria-selected") ?? "false");
    tab.setAttribute("role", "none");
    tab.removeAttribute("aria-selected");
  }
}

/** GraphiQL on the portal's own API with the signed-in session; the schema documentation comes with it. */
export default function AnalystGraphiQL({
  query,
  variables,
  onEditQuery,
  onEditVariables,
  onResult,
}: AnalystGraphiQLProps) {
  const fetcher = useMemo<Fetcher>(
    () => async (params) => {
      const res = await fetch("/api/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(params),
      });
      const body: unknown = await res.json();
      if (params.operationName !== "IntrospectionQuery") onResult(body);
      return body as never;
    },
    [onResult],
  );
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    repair(root);
    const observer = new MutationObserver(() => repair(root));
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["role", "aria-selected", "tabindex"],
    });
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} style={{ height: "100%" }}>
      <GraphiQL
        fetcher={fetcher}
        query={query}
        variables={variables}
        onEditQuery={onEditQuery}
        onEditVariables={onEditVariables}
        shouldPersistHeaders={false}
        isHeadersEditorEnabled={false}
        forcedTheme="light"
      />
    </div>
  );
}
