import type { EntityManager } from "typeorm";
import { ApiKey, Category } from "../../../../entities";
import { apiKeyPrefix, hashApiKey } from "../../open311/api-key.service";

/** The demo's Open311 key, as DESIGN.md and the README name it. */
export const DEMO_OPEN311_KEY = "star-demo-open311-key";

/** Questions an Open311 client asks along with the report (GeoReport v2 attribute objects). */
const DEMO_ATTRIBUTES: Record<string, unknown[]> = {
  pothole: [
    {
      variable: true,
      code: "size",
      datatype: "singlevaluelist",
      required: true,
      datatype_description: null,
      order: 1,
      description: "How big is the pothole?",
      values: [
        { key: "small", name: "Smaller than a dinner plate" },
        { key: "medium", name: "About the size of a tire" },
        { key: "large", name: "Larger than a tire" },
      ],
    },
    {
      variable: true,
      code: "lane",
      datatype: "string",
      required: false,
      datatype_description: "e.g. eastbound, bike lane",
      order: 2,
      description: "Which lane is it in?",
      values: [],
    },
  ],
  "streetlight-out": [
    {
      variable: true,
      code: "pole_number",
      datatype: "string",
      required: false,
      datatype_description: "The number on the metal tag of the pole",
      order: 1,
      description: "Pole number",
      values: [],
    },
  ],
};

/** The demo Open311 key (issued by the demo administrator) and the attributes of two services. */
export async function seedDemoOpen311(em: EntityManager, adminId: string): Promise<void> {
  await em.insert(ApiKey, {
    name: "Demo 311 app",
    keyPrefix: apiKeyPrefix(DEMO_OPEN311_KEY),
    keyHash: hashApiKey(DEMO_OPEN311_KEY),
    createdById: adminId,
  });
  for (const [code, attributes] of Object.entries(DEMO_ATTRIBUTES)) {
    await em.update(Category, { code }, { open311Attributes: attributes as never });
  }
}
