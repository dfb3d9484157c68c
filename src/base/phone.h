/* base/phone.h: what a phone number must look like where the product needs one
 * that can receive an SMS (residents, code proofs, visitors). */
#ifndef AJ_PHONE_H
#define AJ_PHONE_H

/* Mainland mobile: 11 digits, 1[3-9]xxxxxxxxx. */
int phone_mobile_ok(const char *phone);

#endif
