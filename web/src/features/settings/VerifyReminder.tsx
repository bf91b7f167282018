// A reminder while the account's address is unverified: the product works, but no
// notification mail goes until it is verified.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { accountQuery } from "./api";

export function VerifyReminder() {
  const account = useQuery(accountQuery());
  if (!account.data || account.data.email_verified) return null;
  return (
    <p className="notice banner" role="status">
      Please verify {account.data.email}: we sent you a link. <Link to="/settings">Settings</Link>
    </p>
  );
}
