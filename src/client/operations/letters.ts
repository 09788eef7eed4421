import { gql, type TypedDocumentNode } from "@apollo/client";

export const REISSUE_LETTER: TypedDocumentNode<
  { reissueResponseLetter: { id: string; fileName: string } },
  { input: { responseId: string; reason: string } }
> = gql`
  mutation ReissueLetter($input: ReissueResponseLetterInput!) {
    reissueResponseLetter(input: $input) {
      id
      fileName
    }
  }
`;
