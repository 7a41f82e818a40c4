# Public and private headers, enforced by the build (as llama.cpp separates include/ from src/).
#
# Every file includes headers by their folder, "coverage/judge_coverage.h". A library names the
# headers that other targets may include; they are linked into a tree of their own that is the
# library's PUBLIC include directory, so only targets that link the library see them. Every
# header of the folder is reachable from the library's own sources (and its helper programs)
# through a PRIVATE tree. No target but the tests and benchmarks has the source root on its
# include path, so a file that includes another library's private header fails to compile:
#
#   curriculum/x.cpp:1:10: fatal error: coverage/clang_parse.h: No such file or directory
#
# stepcoder_headers(TARGET FOLDER PUBLIC a.h b.h ...)
function(stepcoder_headers target folder)
  cmake_parse_arguments(H "" "" "PUBLIC" ${ARGN})
  set(src ${PROJECT_SOURCE_DIR}/${folder})
  set(pub ${CMAKE_BINARY_DIR}/include/${target})
  file(REMOVE_RECURSE ${pub})
  file(MAKE_DIRECTORY ${pub}/${folder})
  foreach(h IN LISTS H_PUBLIC)
    if(NOT EXISTS ${src}/${h})
      message(FATAL_ERROR "${folder}/CMakeLists.txt: public header ${folder}/${h} does not exist")
    endif()
    file(CREATE_LINK ${src}/${h} ${pub}/${folder}/${h} SYMBOLIC)
  endforeach()
  target_include_directories(${target} PUBLIC ${pub})
  stepcoder_private_headers(${target} ${folder})
endfunction()

# stepcoder_private_headers(TARGET FOLDER): TARGET sees every header of FOLDER (the library's
# own helper programs, which are part of it).
function(stepcoder_private_headers target folder)
  set(priv ${CMAKE_BINARY_DIR}/private/${folder})
  # Made again on every configure, so a build tree copied with its sources points at them.
  get_filename_component(parent ${priv}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${priv}/${folder} SYMBOLIC)
  target_include_directories(${target} PRIVATE ${priv})
endfunction()
