import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SchoolPhase } from '../domain/school';

/** A commissioner of AP, in the LA that maintains or hosts it. */
@Entity({ name: 'school' })
export class School {
  @PrimaryColumn({ type: 'char', length: 6 })
  urn: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  phase: SchoolPhase;

  @Column({ name: 'la_code', type: 'char', length: 3 })
  laCode: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'local_authority' })
export class LocalAuthority {
  @PrimaryColumn({ type: 'char', length: 3 })
  code: string;

  @Column({ type: 'text' })
  name: string;
}
