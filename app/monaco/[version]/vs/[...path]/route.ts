// Monaco's editor files, served by the studio (never a CDN) under a versioned path so browsers cache them for good.
import { openMonacoAsset } from "@/server/monaco/assets";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ version: string; path: string[] }> };

export async function GET(_request: Request, context: RouteContext): Promise<Response> {
  const { version, path } = await context.params;
  const asset = await openMonacoAsset(version, path);
  if (asset === null) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(asset.body, {
    headers: {
      "content-type": asset.contentType,
      "content-length": String(asset.size),
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
