import type { Db } from '@shared/db';
import { NotFoundError } from '@shared/errors';
import { nowIso, paged, type Page, type Paged } from '@shared/utils';
import type { Address, NewAddress, NewUser, ProfileUpdate, PublicProfile, User } from './users.types';
import * as repo from './users.repository';
import { toPublicProfile, toUser } from './users.mapper';
// Runtime cycle users <-> notifications: users sends the welcome mail, notifications looks users up for addresses.
import { enqueueEmail } from '../notifications/notifications.service';

export function createUser(db: Db, input: NewUser): User {
  const id = repo.insertUser(db, input, nowIso());
  const user = getUserById(db, id);
  enqueueEmail(db, { userId: id, template: 'welcome', data: {} });
  return user;
}

export function getUserById(db: Db, id: number): User {
  const row = repo.findUserRow(db, id);
  if (!row) throw new NotFoundError('User', id);
  return toUser(row);
}

export function findUserByEmail(db: Db, email: string): User | undefined {
  const row = repo.findUserRowByEmail(db, email);
  return row && toUser(row);
}

export function getPublicProfile(db: Db, id: number): PublicProfile {
  const row = repo.findUserRow(db, id);
  if (!row) throw new NotFoundError('User', id);
  return toPublicProfile(row);
}

export function listUsers(db: Db, q: string | undefined, page: Page): Paged<User> {
  const { rows, total } = repo.searchUserRows(db, q, page);
  return paged(rows.map(toUser), page, total);
}

export function updateProfile(db: Db, id: number, update: ProfileUpdate): User {
  repo.updateProfileRow(db, id, update);
  return getUserById(db, id);
}

export function deleteUser(db: Db, id: number): void {
  if (!repo.softDeleteUser(db, id, nowIso())) throw new NotFoundError('User', id);
}

export function listAddresses(db: Db, userId: number): Address[] {
  return repo.listAddresses(db, userId);
}

export function addAddress(db: Db, userId: number, address: NewAddress): Address {
  const id = repo.insertAddress(db, userId, address, nowIso());
  return repo.findAddress(db, id)!;
}

export function removeAddress(db: Db, userId: number, addressId: number): void {
  if (!repo.deleteAddress(db, userId, addressId)) throw new NotFoundError('Address', addressId);
}

/** Orders use this to check the delivery address belongs to the buyer. */
export function findAddressOf(db: Db, userId: number, addressId: number): Address | undefined {
  const address = repo.findAddress(db, addressId);
  return address && address.userId === userId ? address : undefined;
}
