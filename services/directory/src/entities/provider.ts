import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ApprovalStatus, Compliance, ProviderContact, RegistrationType } from '../domain/provider';

@Entity({ name: 'provider' })
export class Provider {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'registration_type', type: 'text' })
  registrationType: RegistrationType;

  @Column({ type: 'char', length: 6, nullable: true })
  urn: string | null;

  @Column({ type: 'char', length: 8, nullable: true })
  ukprn: string | null;

  @Column({ type: 'text', nullable: true })
  postcode: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  contacts: ProviderContact[];

  @Column({ name: 'la_code', type: 'char', length: 3 })
  laCode: string;

  @Column({ name: 'approval_status', type: 'text' })
  approvalStatus: ApprovalStatus;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'text' })
  compliance: Compliance;

  /** When the audit behind `compliance` was completed; later audits win, whatever order events arrive in. */
  @Column({ name: 'compliance_as_of', type: 'timestamptz', nullable: true })
  complianceAsOf: Date | null;

  /** From the placement service's provider.registration_required: must it register as an independent school? */
  @Column({ name: 'registration_required', type: 'boolean', default: false })
  registrationRequired: boolean;

  @Column({ name: 'registration_required_reason', type: 'text', nullable: true })
  registrationRequiredReason: string | null;

  /** Effective time of the answer held; an older event never overwrites a newer one. */
  @Column({ name: 'registration_required_as_of', type: 'timestamptz', nullable: true })
  registrationRequiredAsOf: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
