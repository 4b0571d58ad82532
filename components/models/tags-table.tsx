// A registered model's or version's tags as a key/value table (values shown as text, never HTML).
import ui from "@/components/ui/ui.module.css";

export function TagsTable({ label, tags }: { label: string; tags: readonly { key: string; value: string }[] }) {
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {tags.map((tag) => (
            <tr key={tag.key}>
              <td>
                <code>{tag.key}</code>
              </td>
              <td className={ui.wrap}>{tag.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
