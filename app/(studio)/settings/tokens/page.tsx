// API tokens page: personal access tokens for scripts and the MLflow client.
import type { Metadata } from "next";
import { TokensPanel } from "@/components/auth/tokens-panel";

export const metadata: Metadata = { title: "API tokens" };

export default function TokensPage() {
  return (
    <>
      <h1>API tokens</h1>
      <p>
        Tokens let scripts and the <code>mlflow</code> client act as you. Set <code>MLFLOW_TRACKING_URI</code> to this studio&apos;s address
        and <code>MLFLOW_TRACKING_TOKEN</code> to a token.
      </p>
      <TokensPanel />
    </>
  );
}
