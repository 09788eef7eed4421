import type { AuthChecker } from "type-graphql";
import type { Role } from "../entities/enums";
import { requireRole, requireViewer } from "../src/server/auth/viewer";
import { forbidden } from "../src/server/errors/domain-error";
import type { GraphQLContext } from "./context";

/** The one auth checker: anonymous -> UNAUTHENTICATED, a role without the right -> FORBIDDEN. */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context, info }, roles) => {
  // The read-only plugin refuses such operations first; this holds even where it is not installed.
  if (context.viewer?.readOnly && info.operation.operation !== "query") throw forbidden();
  if (roles.length === 0) requireViewer(context.viewer);
  else requireRole(context.viewer, roles);
  return true;
};
