// Experiments list (placeholder until the experiments UI lands).
export default function ExperimentsPage() {
  return <h1>Experiments</h1>;
}
