import { InputError } from '../data/errors.js';

export const numberList = (flag: string, text: string): number[] => {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isFinite(v))) throw new InputError(`${flag} '${text}': expected comma-separated numbers`);
  return values;
};

export const numeric = (flag: string, text: string): number => {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InputError(`${flag} '${text}' is not a number`);
  return value;
};
