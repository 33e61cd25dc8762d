import { Schema } from 'mongoose';
import { CaseState } from '../../../../registration-office/src/case/domain/case';
export const x = [Schema, CaseState];
