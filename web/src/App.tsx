import { Navigate, Outlet, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { Loading } from "./components/ui";
import { Admin } from "./features/admin/Admin";
import { ForgotPassword } from "./features/auth/ForgotPassword";
import { ConfirmEmailChange, Unsubscribe, VerifyEmail } from "./features/auth/MailLink";
import { ResetPassword } from "./features/auth/ResetPassword";
import { SignIn } from "./features/auth/SignIn";
import { SignUp } from "./features/auth/SignUp";
import { Coach } from "./features/coach/Coach";
import { JoinCoach } from "./features/invites/JoinCoach";
import { LearnerPage } from "./features/learners/LearnerPage";
import { ExerciseForm } from "./features/exercise/ExerciseForm";
import { ExercisePage } from "./features/exercise/ExercisePage";
import { Library } from "./features/library/Library";
import { Notifications } from "./features/notifications/Notifications";
import { PlaylistEditor } from "./features/playlists/PlaylistEditor";
import { PlaylistRun } from "./features/playlists/PlaylistRun";
import { Playlists } from "./features/playlists/Playlists";
import { Progress } from "./features/progress/Progress";
import { Review } from "./features/review/Review";
import { Practice } from "./features/threads/ThreadList";
import { Settings } from "./features/settings/Settings";
import { SharedReview } from "./features/sharing/SharedReview";
import { ThreadPage } from "./features/threads/ThreadPage";
import { useAuth } from "./lib/auth";

/** Pages behind sign-in send visitors to it, and back afterwards. */
function RequireUser() {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  return <Outlet />;
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/signin" element={<SignIn />} />
        <Route path="/signup" element={<SignUp />} />
        <Route path="/join" element={<JoinCoach />} />
        <Route path="/reset" element={<ResetPassword />} />
        {/* Public exercises are for anyone with the address, signed in or not. */}
        <Route path="/exercises/:exerciseId" element={<ExercisePage />} />
        <Route path="/forgot" element={<ForgotPassword />} />
        <Route path="/verify" element={<VerifyEmail />} />
        <Route path="/confirm-email" element={<ConfirmEmailChange />} />
        <Route path="/unsubscribe" element={<Unsubscribe />} />
        <Route path="/shared/:token" element={<SharedReview />} />
        <Route element={<RequireUser />}>
          <Route index element={<Library />} />
          <Route path="/exercises/new" element={<ExerciseForm />} />
          <Route path="/exercises/:exerciseId/edit" element={<ExerciseForm />} />
          <Route path="/practice" element={<Practice />} />
          <Route path="/coach" element={<Coach />} />
          <Route path="/coach/learners/:learnerId" element={<LearnerPage />} />
          <Route path="/threads/:threadId" element={<ThreadPage />} />
          <Route path="/threads/:threadId/review/:attemptId" element={<Review />} />
          <Route path="/playlists" element={<Playlists />} />
          <Route path="/playlists/:playlistId" element={<PlaylistEditor />} />
          <Route path="/playlists/:playlistId/run" element={<PlaylistRun />} />
          <Route path="/progress" element={<Progress />} />
          <Route path="/notifications" element={<Notifications />} />
          <Route path="/settings" element={<Settings />} />
          <Route path="/admin" element={<Admin />} />
          <Route path="*" element={<p>There is nothing at this address.</p>} />
        </Route>
      </Route>
    </Routes>
  );
}
