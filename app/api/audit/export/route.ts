// The audit log as CSV, with the same filters as the audit page (admins only).
import { handleAuditExport } from "@/server/auth/http";

export const dynamic = "force-dynamic";
export { handleAuditExport as GET };
