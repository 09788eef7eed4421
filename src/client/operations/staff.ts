import { gql, type TypedDocumentNode } from "@apollo/client";

export interface Colleague {
  id: string;
  name: string;
  email: string;
}

export const DEPARTMENT_STAFF: TypedDocumentNode<{ departmentStaff: Colleague[] }, { departmentId: string }> =
  gql`
    query DepartmentStaff($departmentId: ID!) {
      departmentStaff(departmentId: $departmentId) {
        id
        name
        email
      }
    }
  `;
