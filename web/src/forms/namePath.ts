/** A field's name path in antd: strings, and numbers for Form.List items. Pure (jest tests it from the root). */
export type FieldPath = (string | number)[];

/** "pledges.0.number" → ["pledges", 0, "number"]: a problem's `errors[].path` as antd names the field. */
export function namePath(path: string): FieldPath {
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
