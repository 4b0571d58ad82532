// The page of a journey step that is not built yet: what it will do, and where to go meanwhile.
import Link from "next/link";
import styles from "./shell.module.css";

export function NotBuiltYet({ title, willDo }: { title: string; willDo: string }) {
  return (
    <>
      <h1>{title}</h1>
      <section className={styles.notBuilt} aria-label={`${title} is not built yet`}>
        <p>
          <strong>This page is not built yet.</strong> {willDo}
        </p>
        <p>
          Meanwhile, log and compare your training runs on <Link href="/experiments">Experiments</Link>.
        </p>
      </section>
    </>
  );
}
