import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Whether the database answers, and which driver it is: what `/health` needs of persistence, and no more. */
@Injectable()
export class DatabaseHealth {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  get driver(): string {
    return this.ds.options.type;
  }

  ping(): Promise<boolean> {
    return this.ds.query('SELECT 1').then(() => true, () => false);
  }
}
