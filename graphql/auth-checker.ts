import type { AuthChecker } from "type-graphql";
import type { Role } from "../entities/enums";
import { requireRole, requireViewer } from "../src/server/auth/viewer";
import type { GraphQLContext } from "./context";

/** The one auth checker: anonymous -> UNAUTHENTICATED, a role without the right -> FORBIDDEN. */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  if (roles.length === 0) requireViewer(context.viewer);
  else requireRole(context.viewer, roles);
  return true;
};
