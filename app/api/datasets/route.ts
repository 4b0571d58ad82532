// GET the dataset registry as JSON (?q= filters by name).
import { handleDatasetList } from "@/server/datasets/http";

export const dynamic = "force-dynamic";
export { handleDatasetList as GET };
