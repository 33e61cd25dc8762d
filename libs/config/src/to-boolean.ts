/**
 * class-transformer `@Transform` for boolean variables: reads the raw string, not the implicitly converted value
 * (`Boolean('false')` is true); anything but `true`/`false` is left for `@IsBoolean` to refuse.
 */
export const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const raw = obj[key];
  return raw === 'true' || raw === true ? true : raw === 'false' || raw === false ? false : raw;
};
