// onnxruntime-web's wasm runtime, served by the studio (never a CDN) under a versioned path so browsers cache it for good.
import { openOrtAsset } from "@/server/ort/assets";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ version: string; file: string }> };

export async function GET(_request: Request, context: RouteContext): Promise<Response> {
  const { version, file } = await context.params;
  const asset = await openOrtAsset(version, file);
  if (asset === null) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(asset.body, {
    headers: {
      "content-type": asset.contentType,
      "content-length": String(asset.size),
      "cache-control": "public, max-age=31536000, immutable",
      // The playground page is cross-origin isolated (COEP require-corp): its subresources and ORT's pthread
      // workers must say they may be embedded, and the workers need a compatible embedder policy of their own.
      "cross-origin-resource-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
    },
  });
}
